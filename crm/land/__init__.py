"""Land and carriers: parcels and standard factories, supplied to projects, idle land, and 亩均 efficiency."""
