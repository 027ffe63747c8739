"""The main window and the mail views: navigation, conversation list, reader, search, status."""
