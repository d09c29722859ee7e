"""`python -m campaign …` runs the same CLI as the `campaign` command."""

from campaign.cli import main

main()
