/** An amount of money as typed and stored (numeric(10,2)): 0 or more, at most 2 decimals, at most 99999999.99. Kept as a string: never float arithmetic. */
export const MONEY_PATTERN = /^\d{1,8}(\.\d{1,2})?$/;

