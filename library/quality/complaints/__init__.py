"""Complaints: `records` (filing, classifying, answering, closing), `desk` (the staff's desk),
`read_models` (the lists and a complaint's page), `alerts` (the staff told of a new one) and `mail`
(the complainant's emails). Other areas import them through `library.quality`."""
