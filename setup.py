"""Builds Marsad's one optional C extension (everything else is in pyproject.toml).

``marsad.ner._viterbi`` decodes CRF tag sequences; without a C compiler the build skips it
(``optional=True``) and ``marsad.ner.crf_weights`` decodes with numpy, with the same tags.
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("marsad.ner._viterbi", ["src/marsad/ner/_viterbi.c"], optional=True)])
