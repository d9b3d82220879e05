# The triples derived from findings (the one derive rule: Oxigraph and rdflib both run it).
# 1. A non-negated finding's effect gives a variant -> drug triple.
#    The effect pattern comes first: Oxigraph then starts from the effect index, which at a
#    million triples is faster than three INSERTs that each start from the findings.
# 2. Every finding supports the one claim it makes: (variant, drug, disease or none, effect,
#    negated or not). The claim's IRI is a digest of those five, so the same claim made by the
#    curated graph, CIViC and MOAlmanac is one tkigraph:Claim with several supports, whichever
#    files are loaded and in whatever order (imports stay independent and idempotent).
PREFIX tkigraph: <https://w3id.org/tkigraph/ontology#>
INSERT { ?variant ?derived ?drug . ?f tkigraph:supports ?claim . ?claim a tkigraph:Claim }
WHERE {
  {
    ?f tkigraph:effect ?effect .
    VALUES (?effect ?derived) {
      (tkigraph:Resistant tkigraph:confersResistanceTo)
      (tkigraph:ReducedSensitivity tkigraph:reducesSensitivityTo)
      (tkigraph:Sensitive tkigraph:retainsSensitivityTo)
    }
    ?f a tkigraph:Finding ; tkigraph:variant ?variant ; tkigraph:drug ?drug .
    FILTER NOT EXISTS { ?f tkigraph:negated true }
  } UNION {
    ?f a tkigraph:Finding ; tkigraph:variant ?v ; tkigraph:drug ?d ; tkigraph:effect ?e .
    OPTIONAL { ?f tkigraph:disease ?disease }
    BIND(IF(EXISTS { ?f tkigraph:negated true }, "not", "") AS ?negated)
    BIND(IRI(CONCAT("https://w3id.org/tkigraph/kb/claim_",
                    MD5(CONCAT(STR(?v), " ", STR(?d), " ", COALESCE(STR(?disease), "-"), " ", STR(?e), " ",
                               ?negated)))) AS ?claim)
  }
}
