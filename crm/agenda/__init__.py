"""What each user has to do: open follow-ups, project warnings and supervision items, on the home page and in
the reminders, the escalations and the daily digest."""
