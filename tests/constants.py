"""Named test constants, so tests read like biology (STYLE habit 9)."""

from pathlib import Path

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CIVIC_EVIDENCE = SHARED / "data" / "civic" / "nightly-ClinicalEvidenceSummaries.tsv"
#: the August 2021 release (its PubMed id column is ``citation_id``; citations name the journal)
CIVIC_EVIDENCE_2021 = SHARED / "data" / "civic" / "01-Aug-2021-ClinicalEvidenceSummaries.tsv"
MOALMANAC_CITATIONS = SHARED / "data" / "citations" / "moalmanac_citations.tsv"

#: the synthetic mini knowledge base (invented names, for reasoning tests)
MINI_KB = DATA / "mini_kb.ttl"
ALPHATINIB, BETATINIB, GAMMATINIB, DELTATINIB = "alphatinib", "betatinib", "gammatinib", "deltatinib"

#: real entities of the shipped knowledge base
IMATINIB = "tkd:imatinib"
PONATINIB = "tkd:ponatinib"
ASCIMINIB = "tkd:asciminib"
OSIMERTINIB = "tkd:osimertinib"
GEFITINIB = "tkd:gefitinib"
ABL1 = "tkd:ABL1"
BCR_ABL1 = "tkd:BCR-ABL1"
T315I = "tkd:BCR-ABL1_T315I"
EGFR_T790M = "tkd:EGFR_T790M"
EGFR_C797S = "tkd:EGFR_C797S"
EGFR_L858R = "tkd:EGFR_L858R"
MET_AMPLIFICATION = "tkd:MET_amplification"
CML = "tkd:CML"
NSCLC = "tkd:NSCLC"
