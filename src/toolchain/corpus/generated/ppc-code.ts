/**
 * PowerPC instruction words for the generated functions: the arithmetic a
 * small C function compiles to, the prologue and epilogue of a non-leaf
 * function for each ABI, and `bl`. Encodings from the Power ISA (D-, DS-,
 * X-, XO- and I-forms).
 */

export const NOP = 0x60000000; // ori 0,0,0
export const BLR = 0x4e800020;
/** `bl .` : the linker fills in the displacement from the REL24 relocation. */
export const BL = 0x48000001;
export const MFLR_R0 = 0x7c0802a6;
export const MTLR_R0 = 0x7c0803a6;

const d = (op: number, rt: number, ra: number, imm: number) =>
  ((op << 26) | (rt << 21) | (ra << 16) | (imm & 0xffff)) >>> 0;
const x = (rt: number, ra: number, rb: number, xo: number) =>
  ((31 << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (xo << 1)) >>> 0;

export const addi = (rt: number, ra: number, simm: number) => d(14, rt, ra, simm);
export const li = (rt: number, simm: number) => d(14, rt, 0, simm);

/** `bl` to a displacement the assembler already knows (a static helper in the same section). */
export const blTo = (displacement: number) => (BL | (displacement & 0x03fffffc)) >>> 0;

/** Frame setup and teardown of a function that calls others. */
export const PROLOGUE = {
  // mflr r0; std r0,16(r1); stdu r1,-32(r1)
  64: [MFLR_R0, 0xf8010010, 0xf821ffe1],
  // mflr r0; stwu r1,-16(r1); stw r0,20(r1)
  32: [MFLR_R0, 0x9421fff0, 0x90010014],
} as const;
export const EPILOGUE = {
  // addi r1,r1,32; ld r0,16(r1); mtlr r0; blr
  64: [0x38210020, 0xe8010010, MTLR_R0, BLR],
  // lwz r0,20(r1); addi r1,r1,16; mtlr r0; blr
  32: [0x80010014, 0x38210010, MTLR_R0, BLR],
} as const;

/**
 * One arithmetic instruction on the argument/scratch registers r3–r10, as
 * `-O2` code of integer helpers looks: add, subtract, multiply, logic,
 * shifts and rotates with immediates. `word` is a random 32-bit number.
 */
export function arithmetic(word: number, last: boolean): number {
  const rt = last ? 3 : 3 + (word & 7);
  const ra = 3 + ((word >>> 3) & 7);
  const rb = 3 + ((word >>> 6) & 7);
  const imm = word >>> 16;
  switch ((word >>> 9) & 15) {
    case 0:
    case 1:
      return d(14, rt, ra, imm); // addi
    case 2:
      return d(7, rt, ra, imm & 0xff); // mulli
    case 3:
      return d(26, ra, rt, imm); // xori  (rA ← rS ^ imm: here rt receives)
    case 4:
      return d(24, ra, rt, imm | 1); // ori (never `ori 0,0,0`)
    case 5:
      return x(rt, ra, rb, 266); // add
    case 6:
      return x(rt, ra, rb, 40); // subf
    case 7:
      return x(rt, ra, rb, 235); // mullw
    case 8:
      return x(ra, rt, rb, 28); // and
    case 9:
      return x(ra, rt, rb, 316); // xor
    case 10:
      return x(ra, rt, rb, 24); // slw
    case 11:
      return x(ra, rt, rb, 536); // srw
    case 12: {
      const sh = imm & 31;
      // rlwinm rA,rS,SH,MB,ME
      return (
        ((21 << 26) |
          (ra << 21) |
          (rt << 16) |
          (sh << 11) |
          (((imm >>> 5) & 15) << 6) |
          (31 << 1)) >>>
        0
      );
    }
    case 13:
      return x(ra, rt, rb, 444); // or
    case 14:
      return d(15, rt, ra, imm & 0x7f); // addis
    default:
      return x(rt, ra, rb, 10); // addc
  }
}
