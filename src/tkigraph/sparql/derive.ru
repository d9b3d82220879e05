# The direct triples derived from findings (the same rule as tkigraph.store.derive):
# a non-negated finding's effect gives a variant -> drug triple.
PREFIX tkg: <https://w3id.org/tkigraph/ontology#>
INSERT { ?variant tkg:confersResistanceTo ?drug }
WHERE { ?f a tkg:Finding ; tkg:variant ?variant ; tkg:drug ?drug ; tkg:effect tkg:Resistant .
        FILTER NOT EXISTS { ?f tkg:negated true } } ;
INSERT { ?variant tkg:reducesSensitivityTo ?drug }
WHERE { ?f a tkg:Finding ; tkg:variant ?variant ; tkg:drug ?drug ; tkg:effect tkg:ReducedSensitivity .
        FILTER NOT EXISTS { ?f tkg:negated true } } ;
INSERT { ?variant tkg:retainsSensitivityTo ?drug }
WHERE { ?f a tkg:Finding ; tkg:variant ?variant ; tkg:drug ?drug ; tkg:effect tkg:Sensitive .
        FILTER NOT EXISTS { ?f tkg:negated true } }
