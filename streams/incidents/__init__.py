"""Incidents: the rules that merge reports of one event (merge) and the open incidents they are merged into (store)."""
