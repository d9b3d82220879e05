"""Where the knowledge base lives: the shipped and imported files, the cache, the Oxigraph store.

* :mod:`.files`: where the Turtle files are, the rdflib loader for the edges, the derive rule;
* :mod:`.oxigraph`: the one on-disk Oxigraph store per content, built by the bulk loader;
* :mod:`.cache`: the cache directory and the content keys;
* :mod:`.provenance`: which file said what (a named graph per added file);
* :mod:`.canonical`: the canonical Turtle that ``tkigraph fmt`` writes.
"""
