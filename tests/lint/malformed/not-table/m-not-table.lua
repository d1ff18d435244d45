-- m-not-table: a malformed rule file (the loader must reject it).
return "a rule"
