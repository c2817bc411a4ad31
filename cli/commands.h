/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CLI_COMMANDS_H
#define SECLUDE_CLI_COMMANDS_H

int cmd_check(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif
