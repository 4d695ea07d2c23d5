"""Watches: which incidents a team cares about, loaded from YAML and matched against every incident update.

A watch matches when its region matches (any one part: a country, an admin1 region, a polygon, a circle, a
box; no part at all means anywhere) and every rule condition holds. Geometric parts need a city-level
location: a country or province centroid says nothing about whether the attack was inside a 100 km circle.

loading       watches from YAML, all problems reported at once (WatchError, errors)
prepared      a watch validated and built for matching (PreparedWatch, PreparedRule), and `explain`
facts         an incident as watches read it (IncidentFacts), toll lower bounds
geometry      polygons, boxes and circles of a region
text_query    the text query language, and the text it reads of an article
index         WatchIndex: the watches an incident matches, and the text queries an article satisfies
live_watches  every worker's copy of the watches, following the watches topic
sync          `watches sync`: the watches into the `<prefix>-watches` index and onto the watches topic
"""
