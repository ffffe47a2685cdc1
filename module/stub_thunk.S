/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpfrt_cb_thunk: what a terminated callback's entry calls instead of its
 * 5-byte nop. At entry the stack holds [return into the callback body]
 * [return into the callback's caller], and the callback's arguments are
 * in rdi, rsi, rdx, rcx, r8 (rax too, for tail-call-reachable code).
 *
 * If bpfrt_cb_should_stop() says so, the return address is replaced by
 * bpfrt_cb_ret1, so the thunk "returns" to a stub that returns 1 to the
 * callback's caller: the callback asks its loop helper to stop, as a
 * verified callback may. Otherwise every register is as it was and the
 * callback body runs, as after the nop.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

	.text
SYM_FUNC_START(bpfrt_cb_thunk)
	pushq	%rax
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	72(%rsp), %rdi		/* our return address */
	call	bpfrt_cb_should_stop
	testb	%al, %al
	jz	1f
	leaq	bpfrt_cb_ret1(%rip), %rax
	movq	%rax, 72(%rsp)
1:
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	popq	%rax
	RET
SYM_FUNC_END(bpfrt_cb_thunk)

/* Reached by a return, never by a call: returns 1 from the callback. */
SYM_FUNC_START(bpfrt_cb_ret1)
	movl	$1, %eax
	RET
SYM_FUNC_END(bpfrt_cb_ret1)
