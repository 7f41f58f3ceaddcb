/** An amount of money as typed and stored (numeric(10,2)): 0 or more, at most 2 decimals, at most 99999999.99. Kept as a string: never float arithmetic. */
export const MONEY_PATTERN = /^\d{1,8}(\.\d{1,2})?$/;

export const MONEY_MESSAGE = 'Enter an amount of 0 or more with at most 2 decimals, e.g. 150 or 150.50 (at most 99999999.99)';
