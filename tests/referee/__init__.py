"""The optimizer against outside referees (frvcpy: Froger et al.'s exact FRVCP labelling)."""
