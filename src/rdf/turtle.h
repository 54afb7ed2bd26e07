/* newskg's own Turtle writer: statements are kept in a compact table and
 * written, sorted, when the output ends, byte for byte as raptor 2.0.15's
 * "turtle" serializer writes the same statements with the prefixes of
 * nkg_rdf_prefix_at(). See turtle.c for the rules and the memory cost. */
#ifndef NKG_RDF_TURTLE_H
#define NKG_RDF_TURTLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct nkg_turtle nkg_turtle;

/* A new, empty writer; NULL if out of memory. */
nkg_turtle *nkg_turtle_new(void);

/* Adds <s> <p> o (s of ls bytes, p of lp): o is an IRI of n bytes, or if
 * `lit` a literal of n bytes (cleaned here as nkg_clean_literal() does)
 * with an optional datatype IRI. Returns
 * 0, NKG_ERR_NOMEM, or NKG_ERR_RDF for an IRI that is not valid UTF-8 (or
 * holds U+FFFE, U+FFFF): such a statement is dropped. */
int nkg_turtle_add(nkg_turtle *t, const char *s, size_t ls, const char *p,
                   size_t lp, const char *o, size_t n, int lit,
                   const char *datatype);

/* Writes the prefixes and every distinct statement to fh, the text made
 * on two threads if `parallel`. Returns 0,
 * NKG_ERR_NOMEM, NKG_ERR_IO (a write failed, errno saying why, whichever
 * thread wrote; fh holds a partial document that the caller discards), or NKG_ERR_RDF when a literal of xsd:integer,
 * xsd:decimal, xsd:double or xsd:boolean did not hold such a value (raptor
 * reports that too; the literal is written quoted). *error is then a
 * message (static storage). */
int nkg_turtle_write(nkg_turtle *t, FILE *fh, int parallel,
                     const char **error);

void nkg_turtle_free(nkg_turtle *t);

#endif
