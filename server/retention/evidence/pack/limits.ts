/** The longest period one pack covers: a year and a day, so any calendar year fits. (Plain data: the browser shows it.) */
export const MAX_PERIOD_DAYS = 366;
