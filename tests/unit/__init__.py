"""The fast tier: aggregates and rule functions of `domain/`, in memory, with no server, database or app."""
