"""Amounts in Chinese capital numerals (大写), as on financial documents."""

from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
SECTIONS = ("", "万", "亿", "万亿")


def _section(number: int) -> str:
    """0 < number < 10,000."""
    out, zero = "", False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[digit] + UNITS[position]
    return out


def rmb_upper(amount: Decimal) -> str:
    """12,345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分; 100 → 壹佰元整; 0.05 → 伍分."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "负" if amount < 0 else ""
    amount = abs(amount)
    yuan = int(amount)
    fen_total = int((amount - yuan) * 100)
    jiao, fen = divmod(fen_total, 10)
    integer = ""
    if yuan:
        sections, index, need_zero = [], 0, False
        while yuan:
            part = yuan % 10000
            if part:
                text = _section(part) + SECTIONS[index]
                if need_zero:
                    text += "零"
                sections.insert(0, text)
                need_zero = part < 1000
            else:
                need_zero = bool(sections)
            yuan //= 10000
            index += 1
        integer = "".join(sections)
        # a gap of zeros between sections reads as one 零
        integer = integer.replace("零零", "零").rstrip("零")
        integer += "元"
    if not jiao and not fen:
        return sign + (integer or "零元") + "整"
    decimals = ""
    if jiao:
        decimals += DIGITS[jiao] + "角"
    elif integer:
        decimals += "零"
    if fen:
        decimals += DIGITS[fen] + "分"
    return sign + integer + decimals
