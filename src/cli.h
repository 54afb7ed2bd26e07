/* Exit codes and subcommands of the newskg command line. */
#ifndef NKG_CLI_H
#define NKG_CLI_H

enum nkg_exit {
  NKG_EXIT_OK = 0,    /* every input processed */
  NKG_EXIT_INPUT = 1, /* some inputs failed; the others are in the output */
  NKG_EXIT_USAGE = 2, /* bad command line */
  NKG_EXIT_FATAL = 3  /* nothing written: data files, output, memory */
};

/* Subcommands other than extract, each in its own src/cli_<name>.c. */
int nkg_cmd_explain(int argc, char **argv);

#endif
