"""The new transcript and participants sheet of the facilitator's day (written for the test,
fictional): a fifth-round focus group whose header says round 4 by mistake."""

TRANSCRIPT_NAME = "focusgroep-5a.txt"
SHEET_NAME = "deelnemers-5a.csv"
HEADER_ROUND, CORRECT_ROUND = "4", "5"
PROMPT = "Wat hebt u sinds de vorige ronde zelf veranderd in hoe u over integratie spreekt?"
SEARCH_WORD = "buurtrestaurant"
OTHER_PERSON = "Sofie"  # mentioned, not on the sheet: pseudonymised, to review
TRANSCRIPT = f"""Transcript Focusgroep 5A
Ronde: {HEADER_ROUND}
Datum: 12/06/2026
Vraag: {PROMPT}
Focusgroep: 5A

Lotte Desmet: Welkom in deze vijfde ronde. We kijken vandaag terug: wat hebt u sinds de vorige keer zelf anders gedaan? Yasmina, wil jij beginnen?

Yasmina El Idrissi: Graag, Lotte. In ons buurtrestaurant hebben we het woord integratie van de affiche gehaald. Mijn collega Sofie stelde voor om gewoon te schrijven: iedereen welkom aan tafel. Sindsdien komen er meer buren binnen, ook mensen die hier al veertig jaar wonen.

Pieter Wouters: Bij ons op school spraken we vroeger over integratie alsof het alleen de nieuwkomers aanging. Nu zeggen we samenleven. En als een leerling discriminatie meldt, noemen we het ook zo, zonder het te verzachten.

Lotte Desmet: Pieter, merkt u dat de ouders dat verschil horen?

Pieter Wouters: Ja, zeker. Een moeder zei me: eindelijk zegt iemand discriminatie in plaats van een misverstand. Dat woord durven gebruiken maakt het gesprek eerlijker.

Yasmina El Idrissi: Dat herken ik. In het buurtrestaurant praten we nu elke donderdag over werk, over huur, over de school. Integratie is daar geen opdracht meer, het is gewoon samen eten en elkaar leren kennen.
"""
SHEET = """speaker,group,organisation,region,role
Lotte Desmet,facilitator,Procesbegeleiding Integratiepact,Vlaanderen,facilitator
Yasmina El Idrissi,middenveld,Buurtrestaurant De Tafel,Rivierstad,
Pieter Wouters,onderwijs,Basisschool De Linde,Rivierstad,
"""
