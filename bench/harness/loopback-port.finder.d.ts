/** A loopback port below the kernel's ephemeral range, free when asked and never handed out twice by this process. */
export function freeLoopbackPort(): Promise<number>;
