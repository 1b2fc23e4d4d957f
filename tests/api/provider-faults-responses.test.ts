import { providerFaultSuite } from "../support/provider-fault-suite";

providerFaultSuite("responses");
