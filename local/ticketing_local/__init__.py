"""ticketing-local: the whole platform on one machine, on moto, built from the SAM template."""
