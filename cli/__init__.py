"""`councilchat`: the command line, a front end beside the web app (see cli.main)."""
