//! A global allocator that wipes every block before giving it back.
//!
//! `Secret` and the `Zeroizing` strings wipe what cwsetup knows holds a key. This catches what it
//! does not know about: a temporary `String` in a dependency, the old block a growing `Vec`
//! leaves behind. It wraps the system allocator and changes one thing: freed memory is zeroed
//! first. It is installed by the `cwsetup` binary only (`src/main.rs`); the library and the
//! tests use the plain system allocator.
//!
//! Growing or shrinking a block never lets the system allocator move it itself (a moved block's
//! old copy would be freed unwiped): `realloc` is the trait's default, which allocates, copies
//! and frees through [`GlobalAlloc::dealloc`], so the old block is wiped too.
//!
//! Cost, measured on release builds with and without it (2 shared cores, 150–300 interleaved
//! runs each): `cwsetup check --demo --json` +2–4 % CPU time (about 0.5 ms of 18 ms) and
//! +0.4 MB peak memory; `cwsetup role --format json` and the wizard's start to its first frame
//! within the noise (±2 % CPU).
//!
//! What it cannot reach: memory that is reused without being freed (a `Vec` that is cleared and
//! refilled, a fixed array inside a struct), and anything outside the heap (stacks, the kernel's
//! terminal buffer, the clipboard of the system).

use std::alloc::{GlobalAlloc, Layout, System};
use std::mem::MaybeUninit;

use zeroize::Zeroize;

/// An allocator (the system's, in the binary) that zeroes each block on free.
pub struct ZeroizingAlloc<A = System>(pub A);

/// What `src/main.rs` installs.
pub const SYSTEM: ZeroizingAlloc<System> = ZeroizingAlloc(System);

// SAFETY: every call is forwarded to the inner allocator with the caller's own pointer and
// layout; `dealloc` only writes to the `layout.size()` bytes the caller owns until the forwarded
// call returns.
unsafe impl<A: GlobalAlloc> GlobalAlloc for ZeroizingAlloc<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller owns `layout.size()` bytes at `ptr` (this allocator handed them
        // out) until they are freed below. `MaybeUninit` allows bytes never written. zeroize
        // fills them and then runs an optimisation barrier, so the writes are not removed as
        // dead stores before `free`.
        unsafe {
            std::slice::from_raw_parts_mut(ptr.cast::<MaybeUninit<u8>>(), layout.size()).zeroize();
            self.0.dealloc(ptr, layout);
        }
    }

    // `realloc` is deliberately the default (alloc, copy, `self.dealloc`): see the module docs.
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// The system allocator, counting the non-zero bytes of each block it is given back.
    struct Spy {
        freed: AtomicUsize,
        dirty: AtomicUsize,
    }

    unsafe impl GlobalAlloc for Spy {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            unsafe { System.alloc(layout) }
        }

        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            // The block is still ours here: read it, then free it.
            let bytes = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            self.freed.fetch_add(1, Ordering::Relaxed);
            self.dirty
                .fetch_add(bytes.iter().filter(|b| **b != 0).count(), Ordering::Relaxed);
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    fn spy() -> ZeroizingAlloc<Spy> {
        ZeroizingAlloc(Spy {
            freed: AtomicUsize::new(0),
            dirty: AtomicUsize::new(0),
        })
    }

    #[test]
    fn a_block_reaches_the_inner_allocator_zeroed() {
        let alloc = spy();
        let layout = Layout::from_size_align(64, 8).expect("layout");
        unsafe {
            let ptr = alloc.alloc(layout);
            assert!(!ptr.is_null());
            std::ptr::write_bytes(ptr, 0xAB, 64);
            alloc.dealloc(ptr, layout);
        }
        assert_eq!(alloc.0.freed.load(Ordering::Relaxed), 1);
        assert_eq!(alloc.0.dirty.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn realloc_keeps_the_content_and_wipes_the_old_block() {
        let alloc = spy();
        let layout = Layout::from_size_align(16, 1).expect("layout");
        unsafe {
            let ptr = alloc.alloc(layout);
            assert!(!ptr.is_null());
            for i in 0..16 {
                *ptr.add(i) = i as u8 + 1;
            }
            let grown = alloc.realloc(ptr, layout, 4096);
            assert!(!grown.is_null());
            let expected: Vec<u8> = (1..=16).collect();
            assert_eq!(std::slice::from_raw_parts(grown, 16), &expected[..]);
            let grown_layout = Layout::from_size_align(4096, 1).expect("layout");
            let shrunk = alloc.realloc(grown, grown_layout, 8);
            assert!(!shrunk.is_null());
            assert_eq!(std::slice::from_raw_parts(shrunk, 8), &expected[..8]);
            alloc.dealloc(shrunk, Layout::from_size_align(8, 1).expect("layout"));
        }
        assert_eq!(
            alloc.0.freed.load(Ordering::Relaxed),
            3,
            "old blocks go back"
        );
        assert_eq!(
            alloc.0.dirty.load(Ordering::Relaxed),
            0,
            "and go back zeroed"
        );
    }
}
