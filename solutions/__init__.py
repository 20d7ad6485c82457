"""The reference answers: ``engine.Value`` (notebooks 01-04) and ``nn`` (notebook 06).

A learner does not import these in notebooks 01-04: the checks refuse them there.
"""
