/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The release version, shared by the module and the CLI. dkms.conf carries
 * the same string; a unit test (tests/unit/test_cli.c) checks that they agree.
 */
#ifndef _BPFRT_VERSION_H
#define _BPFRT_VERSION_H

#define BPFRT_VERSION "0.1.0"

#endif /* _BPFRT_VERSION_H */
