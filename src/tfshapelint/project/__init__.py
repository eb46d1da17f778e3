"""The project as a whole: which file an import names (``resolve``) and the modules it runs
(``loader``). Above the analysis: it runs interpreters; the interpreter only calls its loader."""
