# The direct triples derived from findings (the one derive rule: Oxigraph and rdflib both run it):
# a non-negated finding's effect gives a variant -> drug triple.
# The effect pattern comes first: Oxigraph then starts from the effect index, which at a
# million triples is faster than three INSERTs that each start from the findings.
PREFIX tkg: <https://w3id.org/tkigraph/ontology#>
INSERT { ?variant ?derived ?drug }
WHERE {
  ?f tkg:effect ?effect .
  VALUES (?effect ?derived) {
    (tkg:Resistant tkg:confersResistanceTo)
    (tkg:ReducedSensitivity tkg:reducesSensitivityTo)
    (tkg:Sensitive tkg:retainsSensitivityTo)
  }
  ?f a tkg:Finding ; tkg:variant ?variant ; tkg:drug ?drug .
  FILTER NOT EXISTS { ?f tkg:negated true }
}
