import { providerFaultSuite } from "../support/provider-fault-suite";

providerFaultSuite("chat");
