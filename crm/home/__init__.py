"""The signed-in user's home page: what needs their attention today."""
