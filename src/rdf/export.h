/* Exports for graph tools: GraphViz DOT and GraphML. The picture shows
 * what a reader of the news wants to see, not every triple:
 *
 *   nodes  people (ellipse, blue), organizations (box, orange), places
 *          (hexagon, green), events (rounded box, red) and posts (note,
 *          grey), each labelled with its name (schema:name, else
 *          rdfs:label), never its IRI (kept as a tooltip / "iri" datum);
 *   edges  every statement between two such nodes, labelled with a short
 *          name of its property ("member of", "agent", "in"); of a pair of
 *          inverse properties one direction is drawn (org:holds, not
 *          org:heldBy; org:memberOf, not org:hasMember; schema:parent, not
 *          schema:children), and sem:hasActor / sem:hasPlace / nkg:agent are
 *          left out where a more specific role links the same two nodes.
 *
 * Documents, mentions, quotations, roles and times are not drawn. Nodes and
 * edges are sorted, so the same graph gives the same file. The DOT also has
 * a legend of the five kinds (nodes legend_N in a cluster of their own). */
#ifndef NKG_RDF_EXPORT_H
#define NKG_RDF_EXPORT_H

#include <stdio.h>

#include "dataset.h"

/* Is `format` an export format ("dot", "graphml")? */
int nkg_export_format_ok(const char *format);

/* Writes the dataset's graph to out. *nodes and *edges get the counts.
 * Returns 0 or a negative status with a message in err. */
int nkg_export(nkg_dataset *ds, const char *format, FILE *out, size_t *nodes,
               size_t *edges, char *err, size_t errlen);

#endif
