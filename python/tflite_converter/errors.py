"""tflite_converter.ConverterError, with TF's `errors` list."""


class ConverterErrorOperator:
    """TF's ConverterErrorData.operator: the op's name, 'tf.' + its type."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "operator { name: %r }" % self.name


class ConverterErrorData:
    """One failure: the op type, the node that uses it and why it failed.

    Mirrors the fields of TF's ConverterErrorData that apply here
    (`error_message`, `operator.name`), plus `op_type` and `node_name`.
    """

    __slots__ = ("op_type", "node_name", "reason", "error_message", "operator")

    def __init__(self, op_type, node_name, reason):
        self.op_type = op_type
        self.node_name = node_name
        self.reason = reason
        if op_type:
            self.error_message = "'tf.%s' op %s (node '%s')" % (op_type, reason, node_name)
        else:
            self.error_message = reason
        self.operator = ConverterErrorOperator("tf." + op_type if op_type else "")

    def __repr__(self):
        return "ConverterErrorData(op_type=%r, node_name=%r, reason=%r)" % (self.op_type, self.node_name, self.reason)


class ConverterError(Exception):
    """A conversion failed. str(e) is what tflite_convert prints; e.errors lists each failure."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)
