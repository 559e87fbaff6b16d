using System.Reflection;
using System.Reflection.Emit;

namespace Shop.UnitTests;

/// <summary>A compiled method's IL, instruction by instruction: each opcode with its operand read as a 4-byte token.</summary>
internal static class MethodInstructions
{
    private static readonly Dictionary<short, OpCode> s_opCodes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The instructions; <c>Token</c> is meaningful for metadata operands (methods, strings, types, fields).</summary>
    public static IEnumerable<(OpCode OpCode, int Token)> Of(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            var opCode = s_opCodes[value];
            var operandSize = opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
                _ => 4,
            };
            yield return (opCode, operandSize == 4 ? BitConverter.ToInt32(il, position) : 0);
            position += operandSize;
        }
    }
}
