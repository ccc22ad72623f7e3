export {
  type CountryDatabase,
  type CountryLookup,
  DBIP_COUNTRY_PACKAGE,
  openCountryLookup,
} from "./country-lookup.js";
