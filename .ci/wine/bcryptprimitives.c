/* A stand-in for Windows' bcryptprimitives.dll, for running the tests under Wine 8 only.
 *
 * Rust's standard library (1.78 and newer) gets its random numbers (HashMap seeds) from
 * ProcessPrng in bcryptprimitives.dll, which Wine 8 does not have. This exports ProcessPrng and
 * forwards it to RtlGenRandom (SystemFunction036 in advapi32), which Wine has. Built by .ci/run
 * with mingw; never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
