"""The monthly briefing (金融运行简报): a Word template filled with a published month's figures."""
