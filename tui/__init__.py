"""c2f-tui's Textual front end: it renders what ``core`` yields and sends keys back."""
