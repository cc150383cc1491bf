"""Regions, parks and bases, their positioning, industrial chains and links; the industry dictionary."""
