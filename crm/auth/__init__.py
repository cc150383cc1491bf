"""Users, roles and park scope; sign-in, sessions and personal API tokens."""
