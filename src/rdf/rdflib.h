/* raptor2, librdf and rasqal, loaded when first needed rather than when
 * the process starts. Together with what they pull in (libxml2, ICU, curl,
 * gnutls, ...) they are 44 shared libraries, and mapping them took 6.5 of
 * the 7.8 ms that starting newskg took; extraction to N-Triples, N-Quads
 * or no output never calls them, Turtle output needs one function at the
 * end. So src/rdf/ calls them through the pointers below, filled by
 * nkg_rdflib_load() (called by nkg_rdf_world(), which every use of a world
 * goes through, and by the Turtle writer), and nothing else links them.
 *
 * Include this instead of <redland.h>, in .c files only: the macros at the
 * end turn each call into a call through nkg_rdflib. A function missing
 * from the list below is a link error, not a crash. Since the pointer and
 * the arguments of one call are read in no set order, a call must not take
 * nkg_rdf_world() as an argument: get the world first. */
#ifndef NKG_RDF_RDFLIB_H
#define NKG_RDF_RDFLIB_H

#include <redland.h>

#define NKG_RDFLIB_FUNCTIONS(X)                                                \
  X(librdf_free_model)                                                         \
  X(librdf_free_node)                                                          \
  X(librdf_free_parser)                                                        \
  X(librdf_free_query)                                                         \
  X(librdf_free_query_results)                                                 \
  X(librdf_free_serializer)                                                    \
  X(librdf_free_statement)                                                     \
  X(librdf_free_storage)                                                       \
  X(librdf_free_stream)                                                        \
  X(librdf_free_uri)                                                           \
  X(librdf_free_world)                                                         \
  X(librdf_log_message_level)                                                  \
  X(librdf_log_message_locator)                                                \
  X(librdf_log_message_message)                                                \
  X(librdf_model_add_statement)                                                \
  X(librdf_model_add_statements)                                               \
  X(librdf_model_as_stream)                                                    \
  X(librdf_model_context_add_statement)                                        \
  X(librdf_model_context_as_stream)                                            \
  X(librdf_model_context_remove_statement)                                     \
  X(librdf_model_context_remove_statements)                                    \
  X(librdf_model_query_execute)                                                \
  X(librdf_model_size)                                                         \
  X(librdf_model_supports_contexts)                                            \
  X(librdf_model_transaction_commit)                                           \
  X(librdf_model_transaction_rollback)                                         \
  X(librdf_model_transaction_start)                                            \
  X(librdf_new_model)                                                          \
  X(librdf_new_node_from_blank_identifier)                                     \
  X(librdf_new_node_from_typed_counted_literal)                                \
  X(librdf_new_node_from_typed_literal)                                        \
  X(librdf_new_node_from_uri_string)                                           \
  X(librdf_new_parser)                                                         \
  X(librdf_new_query)                                                          \
  X(librdf_new_serializer)                                                     \
  X(librdf_new_statement_from_nodes)                                           \
  X(librdf_new_statement_from_statement)                                       \
  X(librdf_new_storage)                                                        \
  X(librdf_new_uri)                                                            \
  X(librdf_new_uri_from_filename)                                              \
  X(librdf_new_world)                                                          \
  X(librdf_node_get_blank_identifier)                                          \
  X(librdf_node_get_literal_value_as_counted_string)                           \
  X(librdf_node_get_literal_value_datatype_uri)                                \
  X(librdf_node_get_literal_value_language)                                    \
  X(librdf_node_get_uri)                                                       \
  X(librdf_node_is_blank)                                                      \
  X(librdf_node_is_literal)                                                    \
  X(librdf_node_is_resource)                                                   \
  X(librdf_parser_parse_file_handle_into_model)                                \
  X(librdf_query_results_as_stream)                                            \
  X(librdf_query_results_finished)                                             \
  X(librdf_query_results_get_binding_name)                                     \
  X(librdf_query_results_get_binding_value)                                    \
  X(librdf_query_results_get_bindings_count)                                   \
  X(librdf_query_results_get_boolean)                                          \
  X(librdf_query_results_is_boolean)                                           \
  X(librdf_query_results_is_graph)                                             \
  X(librdf_query_results_next)                                                 \
  X(librdf_serializer_serialize_model_to_file_handle)                          \
  X(librdf_serializer_set_namespace)                                           \
  X(librdf_statement_get_object)                                               \
  X(librdf_statement_get_predicate)                                            \
  X(librdf_statement_get_subject)                                              \
  X(librdf_stream_end)                                                         \
  X(librdf_stream_get_object)                                                  \
  X(librdf_stream_next)                                                        \
  X(librdf_uri_as_counted_string)                                              \
  X(librdf_uri_as_string)                                                      \
  X(librdf_world_get_raptor)                                                   \
  X(librdf_world_open)                                                         \
  X(librdf_world_set_logger)                                                   \
  X(raptor_free_memory)                                                        \
  X(raptor_free_parser)                                                        \
  X(raptor_free_serializer)                                                    \
  X(raptor_free_term)                                                          \
  X(raptor_free_uri)                                                           \
  X(raptor_locator_column)                                                     \
  X(raptor_locator_line)                                                       \
  X(raptor_new_parser)                                                         \
  X(raptor_new_serializer)                                                     \
  X(raptor_new_term_from_literal)                                              \
  X(raptor_new_term_from_uri_string)                                           \
  X(raptor_new_uri)                                                            \
  X(raptor_parser_parse_file_stream)                                           \
  X(raptor_parser_set_statement_handler)                                       \
  X(raptor_serializer_serialize_end)                                           \
  X(raptor_serializer_serialize_statement)                                     \
  X(raptor_serializer_set_namespace)                                           \
  X(raptor_serializer_start_to_file_handle)                                    \
  X(raptor_statement_init)                                                     \
  X(raptor_uri_as_string)                                                      \
  X(raptor_uri_filename_to_uri_string)                                         \
  X(raptor_world_set_log_handler)                                              \
  X(raptor_xml_name_check)

struct nkg_rdflib {
#define NKG_RDFLIB_POINTER(name) __typeof__(name) *name;
  NKG_RDFLIB_FUNCTIONS(NKG_RDFLIB_POINTER)
#undef NKG_RDFLIB_POINTER
};

extern struct nkg_rdflib nkg_rdflib;

/* Loads the libraries and fills nkg_rdflib, once per process (thread-safe).
 * Returns 0, or -1 with a message in nkg_rdflib_error() (the library or a
 * function missing), which the first failed call also prints on standard
 * error. */
int nkg_rdflib_load(void);
const char *nkg_rdflib_error(void);
/* Starts nkg_rdflib_load on a thread of its own and returns at once, for
 * a command that will need the libraries: the load (6 ms) then overlaps
 * its other start-up work on another core. Later nkg_rdflib_load calls
 * wait for it. Without a thread, nothing happens now. */
void nkg_rdflib_load_behind(void);

#ifndef NKG_RDFLIB_NO_MACROS
#define librdf_free_model (nkg_rdflib.librdf_free_model)
#define librdf_free_node (nkg_rdflib.librdf_free_node)
#define librdf_free_parser (nkg_rdflib.librdf_free_parser)
#define librdf_free_query (nkg_rdflib.librdf_free_query)
#define librdf_free_query_results (nkg_rdflib.librdf_free_query_results)
#define librdf_free_serializer (nkg_rdflib.librdf_free_serializer)
#define librdf_free_statement (nkg_rdflib.librdf_free_statement)
#define librdf_free_storage (nkg_rdflib.librdf_free_storage)
#define librdf_free_stream (nkg_rdflib.librdf_free_stream)
#define librdf_free_uri (nkg_rdflib.librdf_free_uri)
#define librdf_free_world (nkg_rdflib.librdf_free_world)
#define librdf_log_message_level (nkg_rdflib.librdf_log_message_level)
#define librdf_log_message_locator (nkg_rdflib.librdf_log_message_locator)
#define librdf_log_message_message (nkg_rdflib.librdf_log_message_message)
#define librdf_model_add_statement (nkg_rdflib.librdf_model_add_statement)
#define librdf_model_add_statements (nkg_rdflib.librdf_model_add_statements)
#define librdf_model_as_stream (nkg_rdflib.librdf_model_as_stream)
#define librdf_model_context_add_statement                                     \
  (nkg_rdflib.librdf_model_context_add_statement)
#define librdf_model_context_as_stream                                         \
  (nkg_rdflib.librdf_model_context_as_stream)
#define librdf_model_context_remove_statement                                  \
  (nkg_rdflib.librdf_model_context_remove_statement)
#define librdf_model_context_remove_statements                                 \
  (nkg_rdflib.librdf_model_context_remove_statements)
#define librdf_model_query_execute (nkg_rdflib.librdf_model_query_execute)
#define librdf_model_size (nkg_rdflib.librdf_model_size)
#define librdf_model_supports_contexts                                         \
  (nkg_rdflib.librdf_model_supports_contexts)
#define librdf_model_transaction_commit                                        \
  (nkg_rdflib.librdf_model_transaction_commit)
#define librdf_model_transaction_rollback                                      \
  (nkg_rdflib.librdf_model_transaction_rollback)
#define librdf_model_transaction_start                                         \
  (nkg_rdflib.librdf_model_transaction_start)
#define librdf_new_model (nkg_rdflib.librdf_new_model)
#define librdf_new_node_from_blank_identifier                                  \
  (nkg_rdflib.librdf_new_node_from_blank_identifier)
#define librdf_new_node_from_typed_counted_literal                             \
  (nkg_rdflib.librdf_new_node_from_typed_counted_literal)
#define librdf_new_node_from_typed_literal                                     \
  (nkg_rdflib.librdf_new_node_from_typed_literal)
#define librdf_new_node_from_uri_string                                        \
  (nkg_rdflib.librdf_new_node_from_uri_string)
#define librdf_new_parser (nkg_rdflib.librdf_new_parser)
#define librdf_new_query (nkg_rdflib.librdf_new_query)
#define librdf_new_serializer (nkg_rdflib.librdf_new_serializer)
#define librdf_new_statement_from_nodes                                        \
  (nkg_rdflib.librdf_new_statement_from_nodes)
#define librdf_new_statement_from_statement                                    \
  (nkg_rdflib.librdf_new_statement_from_statement)
#define librdf_new_storage (nkg_rdflib.librdf_new_storage)
#define librdf_new_uri (nkg_rdflib.librdf_new_uri)
#define librdf_new_uri_from_filename (nkg_rdflib.librdf_new_uri_from_filename)
#define librdf_new_world (nkg_rdflib.librdf_new_world)
#define librdf_node_get_blank_identifier                                       \
  (nkg_rdflib.librdf_node_get_blank_identifier)
#define librdf_node_get_literal_value_as_counted_string                        \
  (nkg_rdflib.librdf_node_get_literal_value_as_counted_string)
#define librdf_node_get_literal_value_datatype_uri                             \
  (nkg_rdflib.librdf_node_get_literal_value_datatype_uri)
#define librdf_node_get_literal_value_language                                 \
  (nkg_rdflib.librdf_node_get_literal_value_language)
#define librdf_node_get_uri (nkg_rdflib.librdf_node_get_uri)
#define librdf_node_is_blank (nkg_rdflib.librdf_node_is_blank)
#define librdf_node_is_literal (nkg_rdflib.librdf_node_is_literal)
#define librdf_node_is_resource (nkg_rdflib.librdf_node_is_resource)
#define librdf_parser_parse_file_handle_into_model                             \
  (nkg_rdflib.librdf_parser_parse_file_handle_into_model)
#define librdf_query_results_as_stream                                         \
  (nkg_rdflib.librdf_query_results_as_stream)
#define librdf_query_results_finished (nkg_rdflib.librdf_query_results_finished)
#define librdf_query_results_get_binding_name                                  \
  (nkg_rdflib.librdf_query_results_get_binding_name)
#define librdf_query_results_get_binding_value                                 \
  (nkg_rdflib.librdf_query_results_get_binding_value)
#define librdf_query_results_get_bindings_count                                \
  (nkg_rdflib.librdf_query_results_get_bindings_count)
#define librdf_query_results_get_boolean                                       \
  (nkg_rdflib.librdf_query_results_get_boolean)
#define librdf_query_results_is_boolean                                        \
  (nkg_rdflib.librdf_query_results_is_boolean)
#define librdf_query_results_is_graph (nkg_rdflib.librdf_query_results_is_graph)
#define librdf_query_results_next (nkg_rdflib.librdf_query_results_next)
#define librdf_serializer_serialize_model_to_file_handle                       \
  (nkg_rdflib.librdf_serializer_serialize_model_to_file_handle)
#define librdf_serializer_set_namespace                                        \
  (nkg_rdflib.librdf_serializer_set_namespace)
#define librdf_statement_get_object (nkg_rdflib.librdf_statement_get_object)
#define librdf_statement_get_predicate                                         \
  (nkg_rdflib.librdf_statement_get_predicate)
#define librdf_statement_get_subject (nkg_rdflib.librdf_statement_get_subject)
#define librdf_stream_end (nkg_rdflib.librdf_stream_end)
#define librdf_stream_get_object (nkg_rdflib.librdf_stream_get_object)
#define librdf_stream_next (nkg_rdflib.librdf_stream_next)
#define librdf_uri_as_counted_string (nkg_rdflib.librdf_uri_as_counted_string)
#define librdf_uri_as_string (nkg_rdflib.librdf_uri_as_string)
#define librdf_world_get_raptor (nkg_rdflib.librdf_world_get_raptor)
#define librdf_world_open (nkg_rdflib.librdf_world_open)
#define librdf_world_set_logger (nkg_rdflib.librdf_world_set_logger)
#define raptor_free_memory (nkg_rdflib.raptor_free_memory)
#define raptor_free_parser (nkg_rdflib.raptor_free_parser)
#define raptor_free_serializer (nkg_rdflib.raptor_free_serializer)
#define raptor_free_term (nkg_rdflib.raptor_free_term)
#define raptor_free_uri (nkg_rdflib.raptor_free_uri)
#define raptor_locator_column (nkg_rdflib.raptor_locator_column)
#define raptor_locator_line (nkg_rdflib.raptor_locator_line)
#define raptor_new_parser (nkg_rdflib.raptor_new_parser)
#define raptor_new_serializer (nkg_rdflib.raptor_new_serializer)
#define raptor_new_term_from_literal (nkg_rdflib.raptor_new_term_from_literal)
#define raptor_new_term_from_uri_string                                        \
  (nkg_rdflib.raptor_new_term_from_uri_string)
#define raptor_new_uri (nkg_rdflib.raptor_new_uri)
#define raptor_parser_parse_file_stream                                        \
  (nkg_rdflib.raptor_parser_parse_file_stream)
#define raptor_parser_set_statement_handler                                    \
  (nkg_rdflib.raptor_parser_set_statement_handler)
#define raptor_serializer_serialize_end                                        \
  (nkg_rdflib.raptor_serializer_serialize_end)
#define raptor_serializer_serialize_statement                                  \
  (nkg_rdflib.raptor_serializer_serialize_statement)
#define raptor_serializer_set_namespace                                        \
  (nkg_rdflib.raptor_serializer_set_namespace)
#define raptor_serializer_start_to_file_handle                                 \
  (nkg_rdflib.raptor_serializer_start_to_file_handle)
#define raptor_statement_init (nkg_rdflib.raptor_statement_init)
#define raptor_uri_as_string (nkg_rdflib.raptor_uri_as_string)
#define raptor_uri_filename_to_uri_string                                      \
  (nkg_rdflib.raptor_uri_filename_to_uri_string)
#define raptor_world_set_log_handler (nkg_rdflib.raptor_world_set_log_handler)
#define raptor_xml_name_check (nkg_rdflib.raptor_xml_name_check)
#endif

#endif
