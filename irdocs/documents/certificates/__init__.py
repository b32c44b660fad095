"""Honorary title certificates: the document kind, each certificate's context, the register of
serials, verification codes, the department's key and digital signatures."""
