/** C0 and C1 controls, DEL, and the line and paragraph separators: never meaningful in a title or a name. */
export const CONTROL_CHARACTER = /[\p{Cc}\p{Zl}\p{Zp}]/u;
