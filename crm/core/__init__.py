"""Cross-cutting pieces shared by every domain; imports no domain package."""
