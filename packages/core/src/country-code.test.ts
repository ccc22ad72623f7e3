import { test } from "uvu";
import * as assert from "uvu/assert";
import { isCountryCode } from "./country-code.js";

test("assigned ISO 3166-1 alpha-2 codes and XK are countries", () => {
  for (const code of ["DE", "US", "GB", "JP", "BR", "ZA", "XK", "AQ", "SS", "CW"]) assert.ok(isCountryCode(code), code);
});

test("reserved, withdrawn, lower-case and malformed codes are not", () => {
  for (const code of ["UK", "EU", "SU", "YU", "ZZ", "XX", "AA", "de", "D", "DEU", "", " DE"])
    assert.not.ok(isCountryCode(code), code);
});

test.run();
