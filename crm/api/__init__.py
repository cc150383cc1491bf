"""The JSON API's shared machinery (/api/v1): token sign-in, error shape, pagination, input parsing."""
