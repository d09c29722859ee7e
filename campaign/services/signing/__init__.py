"""Co-signing: signing with double opt-in, links, counts, the campaign page, named co-signers, handover lists."""
