//! Each seat's list of the clients that attached to it, in the order they attached, kept in
//! 128-byte blocks from one shared store.
//!
//! A storm attaches tens of thousands of clients a minute to a few thousand seats. With one
//! growing vector a seat, a tenth of a storm's minute (natively) went to reallocating and copying
//! them as they grew. Blocks never move: a list grows by linking a block, and a seat that drops
//! its clients hands its blocks back for the next lists. The store grows in pages, so it never
//! moves either, and it never shrinks: its peak stays for the lists to come.

/// Clients a block holds: with the link to the next block, two 64-byte cache lines. Smaller
/// blocks cost a drop more cache misses along the links; larger ones leave more unused room at
/// the end of each seat's list (15, 31 and 63 time alike in a storm).
const BLOCK: usize = 31;
/// Blocks a page of the store holds (64 KiB).
const PAGE: usize = 512;
/// No block.
const NONE: u32 = u32::MAX;

/// Aligned to a cache line, so a block is exactly two of them.
#[derive(Clone, Copy)]
#[repr(align(64))]
struct Block {
    clients: [u32; BLOCK],
    next: u32,
}

const EMPTY_BLOCK: Block = Block {
    clients: [0; BLOCK],
    next: NONE,
};

/// The store's unit of growth.
type Page = [Block; PAGE];

/// A page of empty blocks, made on the heap (64 KiB would crowd a wasm stack).
fn new_page() -> Box<Page> {
    let blocks = vec![EMPTY_BLOCK; PAGE].into_boxed_slice();
    // A boxed slice of PAGE blocks is a boxed page; the conversion only checks that length.
    blocks
        .try_into()
        .unwrap_or_else(|_| unreachable!("vec! made {PAGE} blocks"))
}

/// Where a list starts: its first block, read only to walk the list or to start it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListHead(u32);

/// Where a list ends: its last block and how many clients that block holds, in one word (the
/// count in the top 5 bits), read at every push. A seat keeps the two ends apart: the tail in
/// the record a login attempt reads, the head in the one it does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListTail(u32);

/// Bits of a [`ListTail`] that hold the block (the rest hold the count, at most [`BLOCK`]).
const TAIL_BITS: u32 = 27;
/// A [`ListTail`]'s block bits when the list has no block.
const NO_TAIL: u32 = (1 << TAIL_BITS) - 1;
// A tail's count bits must hold a full block's count.
const _: () = assert!(
    BLOCK < 1 << (32 - TAIL_BITS),
    "a list tail cannot count a full block"
);
/// Most blocks the store may hold: a block's index must fit a tail's bits (and be no tail).
const MOST_BLOCKS: u32 = NO_TAIL;

impl ListTail {
    fn new(block: u32, len: usize) -> Self {
        Self(block | ((len as u32) << TAIL_BITS))
    }

    fn block(self) -> u32 {
        match self.0 & NO_TAIL {
            NO_TAIL => NONE,
            b => b,
        }
    }

    fn len(self) -> usize {
        (self.0 >> TAIL_BITS) as usize
    }
}

impl Default for ListHead {
    /// An empty list's.
    fn default() -> Self {
        Self(NONE)
    }
}

impl Default for ListTail {
    /// An empty list's.
    fn default() -> Self {
        Self::new(NO_TAIL, 0)
    }
}

/// The blocks of every seat's list.
#[derive(Clone)]
pub struct MemberStore {
    /// Block `b` is `pages[b / PAGE][b % PAGE]` (pages of a fixed size: no length to check).
    pages: Vec<Box<Page>>,
    /// Blocks in the store.
    blocks: u32,
    /// The first free block, and through their links the rest (`NONE`: none free).
    free: u32,
}

/// The store holds no fact of the run but the lists it keeps, which the seats print.
impl std::fmt::Debug for MemberStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MemberStore")
    }
}

impl Default for MemberStore {
    fn default() -> Self {
        Self {
            pages: Vec::new(),
            blocks: 0,
            free: NONE,
        }
    }
}

impl MemberStore {
    fn block(&self, b: u32) -> &Block {
        &self.pages[b as usize / PAGE][b as usize % PAGE]
    }

    #[inline]
    fn block_mut(&mut self, b: u32) -> &mut Block {
        &mut self.pages[b as usize / PAGE][b as usize % PAGE]
    }

    /// A free block, its link cleared: a handed-back one, else a new one from the store.
    #[cold]
    #[inline(never)]
    fn new_block(&mut self) -> u32 {
        let b = if self.free != NONE {
            let b = self.free;
            self.free = self.block(b).next;
            b
        } else {
            // A tail's bits hold 2^27 - 1 blocks, 16 GiB of them: more than any run's memory.
            assert!(
                self.blocks < MOST_BLOCKS,
                "member lists outgrew {MOST_BLOCKS} blocks"
            );
            if self.blocks as usize == self.pages.len() * PAGE {
                self.pages.push(new_page());
            }
            self.blocks += 1;
            self.blocks - 1
        };
        self.block_mut(b).next = NONE;
        b
    }

    /// Adds client `c` at the end of the list `head`..`tail`.
    #[inline]
    pub fn push(&mut self, head: &mut ListHead, tail: &mut ListTail, c: u32) {
        let (mut b, mut at) = (tail.block(), tail.len());
        if b == NONE || at == BLOCK {
            let new = self.new_block();
            match b {
                NONE => head.0 = new,
                last => self.block_mut(last).next = new,
            }
            (b, at) = (new, 0);
        }
        self.block_mut(b).clients[at] = c;
        *tail = ListTail::new(b, at + 1);
    }

    /// The clients of the list `head`..`tail`, in order, a block's worth at a time.
    pub fn blocks_of(&self, head: ListHead, tail: ListTail) -> impl Iterator<Item = &[u32]> {
        let mut b = head.0;
        std::iter::from_fn(move || {
            if b == NONE {
                return None;
            }
            let block = self.block(b);
            let len = if b == tail.block() { tail.len() } else { BLOCK };
            b = block.next;
            Some(&block.clients[..len])
        })
    }

    /// Empties the list `head`..`tail`; its blocks are free again.
    pub fn clear(&mut self, head: &mut ListHead, tail: &mut ListTail) {
        let (first, last) = (head.0, tail.block());
        if first == NONE {
            return;
        }
        let free = self.free;
        self.block_mut(last).next = free;
        self.free = first;
        *head = ListHead::default();
        *tail = ListTail::default();
    }

    /// Heap bytes held (capacity).
    pub fn heap_bytes(&self) -> usize {
        self.pages.len() * PAGE * std::mem::size_of::<Block>()
            + self.pages.capacity() * std::mem::size_of::<Box<Page>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list's two ends.
    type Ends = (ListHead, ListTail);

    fn list(m: &MemberStore, (head, tail): Ends) -> Vec<u32> {
        m.blocks_of(head, tail).flatten().copied().collect()
    }

    fn push(m: &mut MemberStore, (head, tail): &mut Ends, c: u32) {
        m.push(head, tail, c);
    }

    fn clear(m: &mut MemberStore, (head, tail): &mut Ends) {
        m.clear(head, tail);
    }

    #[test]
    fn lists_keep_their_order_across_blocks_and_reuse_blocks() {
        let mut m = MemberStore::default();
        let mut seats = [Ends::default(); 2];
        // Interleaved pushes, so the two lists' blocks alternate in the store.
        for c in 0..200 {
            push(&mut m, &mut seats[c as usize % 2], c);
        }
        let evens: Vec<u32> = (0..200).step_by(2).collect();
        assert_eq!(list(&m, seats[0]), evens, "seat 0 in attach order");
        let odds: Vec<u32> = (1..200).step_by(2).collect();
        assert_eq!(list(&m, seats[1]), odds, "seat 1 in attach order");
        clear(&mut m, &mut seats[1]);
        assert!(list(&m, seats[1]).is_empty(), "cleared");
        let blocks = m.blocks;
        for c in 1000..1100 {
            push(&mut m, &mut seats[1], c);
        }
        assert_eq!(m.blocks, blocks, "a refilled list reuses the freed blocks");
        let refilled: Vec<u32> = (1000..1100).collect();
        assert_eq!(list(&m, seats[1]), refilled, "in order");
        assert_eq!(list(&m, seats[0]), evens, "seat 0 untouched");
        clear(&mut m, &mut seats[0]);
        clear(&mut m, &mut seats[0]);
        assert!(list(&m, seats[0]).is_empty(), "cleared twice, still empty");
    }

    #[test]
    fn freed_blocks_from_several_lists_are_all_reused() {
        let mut m = MemberStore::default();
        let mut seats = [Ends::default(); 3];
        for (s, l) in seats.iter_mut().enumerate() {
            for c in 0..40 {
                push(&mut m, l, 100 * s as u32 + c);
            }
        }
        let blocks = m.blocks;
        // Two lists freed one after the other: the second joins the blocks of the first.
        clear(&mut m, &mut seats[0]);
        clear(&mut m, &mut seats[2]);
        // 22 fill seat 1's last block; 124 fill exactly four more.
        for c in 0..146 {
            push(&mut m, &mut seats[1], 1000 + c);
        }
        assert_eq!(
            m.blocks, blocks,
            "the four freed blocks are taken before new ones"
        );
        let expected: Vec<u32> = (100..140).chain(1000..1146).collect();
        assert_eq!(
            list(&m, seats[1]),
            expected,
            "in order across old and reused blocks"
        );
    }

    #[test]
    fn a_tail_holds_its_block_and_a_full_count() {
        let tail = ListTail::new(MOST_BLOCKS - 1, BLOCK);
        assert_eq!(
            (tail.block(), tail.len()),
            (MOST_BLOCKS - 1, BLOCK),
            "the largest"
        );
        let none = ListTail::default();
        assert_eq!((none.block(), none.len()), (NONE, 0), "no block");
    }

    #[test]
    fn a_block_is_two_cache_lines() {
        assert_eq!(std::mem::size_of::<Block>(), 128, "31 clients and a link");
        assert_eq!(std::mem::align_of::<Block>(), 64, "starting on a line");
    }
}
