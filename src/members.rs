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

/// The lists of every seat, by seat index.
#[derive(Clone)]
pub struct MemberLists {
    /// The store: block `b` is `pages[b / PAGE][b % PAGE]`.
    pages: Vec<Box<[Block]>>,
    /// Blocks in the store.
    blocks: u32,
    /// The first free block, and through their links the rest (`NONE`: none free).
    free: u32,
    /// Each seat's first block, or `NONE`.
    head: Vec<u32>,
    /// Each seat's last block, or `NONE`.
    tail: Vec<u32>,
    /// Clients in each seat's last block.
    tail_len: Vec<u8>,
}

/// What the lists hold, not how: lists with the same clients print alike however their blocks
/// fell.
impl std::fmt::Debug for MemberLists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lists: Vec<Vec<u32>> = (0..self.head.len() as u32)
            .map(|s| self.blocks_of(s).flatten().copied().collect())
            .collect();
        f.debug_list().entries(lists).finish()
    }
}

impl Default for MemberLists {
    fn default() -> Self {
        Self {
            pages: Vec::new(),
            blocks: 0,
            free: NONE,
            head: Vec::new(),
            tail: Vec::new(),
            tail_len: Vec::new(),
        }
    }
}

impl MemberLists {
    /// Makes room for one more seat, with an empty list.
    pub fn add_seat(&mut self) {
        self.head.push(NONE);
        self.tail.push(NONE);
        self.tail_len.push(0);
    }

    fn block(&self, b: u32) -> &Block {
        &self.pages[b as usize / PAGE][b as usize % PAGE]
    }

    fn block_mut(&mut self, b: u32) -> &mut Block {
        &mut self.pages[b as usize / PAGE][b as usize % PAGE]
    }

    /// A free block, its link cleared: a handed-back one, else a new one from the store.
    fn new_block(&mut self) -> u32 {
        let b = if self.free != NONE {
            let b = self.free;
            self.free = self.block(b).next;
            b
        } else {
            if self.blocks as usize == self.pages.len() * PAGE {
                self.pages.push(vec![EMPTY_BLOCK; PAGE].into_boxed_slice());
            }
            self.blocks += 1;
            self.blocks - 1
        };
        self.block_mut(b).next = NONE;
        b
    }

    /// Adds client `c` at the end of seat `s`'s list.
    #[inline]
    pub fn push(&mut self, s: u32, c: u32) {
        let i = s as usize;
        if self.tail[i] == NONE || usize::from(self.tail_len[i]) == BLOCK {
            let b = self.new_block();
            match self.tail[i] {
                NONE => self.head[i] = b,
                last => self.block_mut(last).next = b,
            }
            self.tail[i] = b;
            self.tail_len[i] = 0;
        }
        let (b, at) = (self.tail[i], usize::from(self.tail_len[i]));
        self.block_mut(b).clients[at] = c;
        self.tail_len[i] += 1;
    }

    /// Seat `s`'s list, in order, a block's worth at a time.
    pub fn blocks_of(&self, s: u32) -> impl Iterator<Item = &[u32]> {
        let i = s as usize;
        let mut b = self.head.get(i).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            if b == NONE {
                return None;
            }
            let block = self.block(b);
            let len = if b == self.tail[i] {
                usize::from(self.tail_len[i])
            } else {
                BLOCK
            };
            b = block.next;
            Some(&block.clients[..len])
        })
    }

    /// Empties seat `s`'s list; its blocks are free again.
    pub fn clear(&mut self, s: u32) {
        let i = s as usize;
        let (first, last) = (self.head[i], self.tail[i]);
        if first == NONE {
            return;
        }
        let free = self.free;
        self.block_mut(last).next = free;
        self.free = first;
        self.head[i] = NONE;
        self.tail[i] = NONE;
        self.tail_len[i] = 0;
    }

    /// Heap bytes held (capacity).
    pub fn heap_bytes(&self) -> usize {
        self.pages.len() * PAGE * std::mem::size_of::<Block>()
            + self.pages.capacity() * std::mem::size_of::<Box<[Block]>>()
            + self.head.capacity() * 4
            + self.tail.capacity() * 4
            + self.tail_len.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(m: &MemberLists, s: u32) -> Vec<u32> {
        m.blocks_of(s).flatten().copied().collect()
    }

    #[test]
    fn lists_keep_their_order_across_blocks_and_reuse_blocks() {
        let mut m = MemberLists::default();
        m.add_seat();
        m.add_seat();
        // Interleaved pushes, so the two lists' blocks alternate in the store.
        for c in 0..200 {
            m.push(c % 2, c);
        }
        let evens: Vec<u32> = (0..200).step_by(2).collect();
        assert_eq!(list(&m, 0), evens, "seat 0 in attach order");
        let odds: Vec<u32> = (1..200).step_by(2).collect();
        assert_eq!(list(&m, 1), odds, "seat 1 in attach order");
        m.clear(1);
        assert!(list(&m, 1).is_empty(), "cleared");
        let blocks = m.blocks;
        for c in 1000..1100 {
            m.push(1, c);
        }
        assert_eq!(m.blocks, blocks, "a refilled list reuses the freed blocks");
        assert_eq!(list(&m, 1), (1000..1100).collect::<Vec<u32>>(), "in order");
        assert_eq!(list(&m, 0), evens, "seat 0 untouched");
        m.clear(0);
        m.clear(0);
        assert!(list(&m, 0).is_empty(), "cleared twice, still empty");
    }

    #[test]
    fn freed_blocks_from_several_lists_are_all_reused() {
        let mut m = MemberLists::default();
        for s in 0..3 {
            m.add_seat();
            for c in 0..40 {
                m.push(s, 100 * s + c);
            }
        }
        let blocks = m.blocks;
        // Two lists freed one after the other: the second joins the blocks of the first.
        m.clear(0);
        m.clear(2);
        // 22 fill seat 1's last block; 124 fill exactly four more.
        for c in 0..146 {
            m.push(1, 1000 + c);
        }
        assert_eq!(
            m.blocks, blocks,
            "the four freed blocks are taken before new ones"
        );
        let expected: Vec<u32> = (100..140).chain(1000..1146).collect();
        assert_eq!(
            list(&m, 1),
            expected,
            "in order across old and reused blocks"
        );
    }

    #[test]
    fn a_block_is_two_cache_lines() {
        assert_eq!(std::mem::size_of::<Block>(), 128, "31 clients and a link");
        assert_eq!(std::mem::align_of::<Block>(), 64, "starting on a line");
    }
}
