/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SECLUDE_CLI_INFO_USER_H
#define SECLUDE_CLI_INFO_USER_H

#include <jansson.h>

/*
 * seclude info's last part: what the calling user can do here.  A user
 * who is not root: whether it may create a user namespace, the id ranges
 * --user can use, limits (a delegated cgroup v2 subtree or none, and
 * why), denials, the learn recorder and the state directory.
 */
void cli_info_user_print(void);
json_t *cli_info_user_json(void);

#endif
