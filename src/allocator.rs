//! The wasm build's global allocator (see Cargo.toml for why not dlmalloc).

// SAFETY: wasm32-unknown-unknown without the atomics feature (which this crate is not
// built with) has a single thread, which is what `AssumeSingleThreaded` requires.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
