"""Co-signing: supporters, their signatures on a campaign's open letter, and who may be named as a co-signer."""
